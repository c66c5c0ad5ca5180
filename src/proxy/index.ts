export { createValidatingProxy, type ProxyOptions, type ValidatingProxy } from './proxy.js';
