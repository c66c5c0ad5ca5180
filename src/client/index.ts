export { HiveClient, encodeQuery, parseReplyBytes, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_REPLY_BYTES, type ClientOptions, type CallOptions, type RawRequest } from './client.js';
export { curlLine } from './curl.js';
export { headerValue, respOf, sessionKeyOf, type Exchange, type SentRequest, type ReceivedReply, type FailureKind } from './exchange.js';
