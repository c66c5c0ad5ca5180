// Transport (profile §1), one module a section: T1 and T3 methods, T4 request
// encoding, T5 text, T6–T8 the form of replies, T9 dates, T10 TLS, T11 limits.
// T2 (the domain map) is exercised by the countersign family; T12 is not observable.
import { defineSuite } from '../../src/checks/check.js';
import { methodChecks } from './methods.js';
import { encodingChecks } from './encoding.js';
import { textChecks } from './text.js';
import { replyChecks } from './reply.js';
import { dateChecks } from './dates.js';
import { tlsChecks } from './tls.js';
import { limitChecks } from './limits.js';

export const wireSuite = defineSuite('wire', 'Transport (T1–T11)', [...methodChecks, ...encodingChecks, ...textChecks, ...replyChecks, ...dateChecks, ...tlsChecks, ...limitChecks]);
