import { badHivesOf } from './self-test.js';

badHivesOf('countersign');
