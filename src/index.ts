// The package's public API, kept small and explicit: validate recorded PAME
// exchanges, read recordings, and talk to a Hive. Everything else is internal.
export { validateExchange, decodeRequestParts, VALIDATIONS, type ExchangeFinding, type ExchangeAspect, type RequestDecoding } from './validator/exchange.js';
export { readHar, type HarOptions } from './validator/har.js';
export { readExchangeLog, formatExchangeLogLine } from './validator/jsonl.js';
export { recordedExchange, type RawExchange, type Recording, type SourcedExchange } from './validator/recorded.js';
export { validateRequest, validateReply, validateMessage, type Violation, type ValidationResult } from './validator/index.js';
export { HiveClient, type ClientOptions, type CallOptions, type RawRequest, type Exchange, type SentRequest, type ReceivedReply } from './client/index.js';
