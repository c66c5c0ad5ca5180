export { validateRequest, validateReply, validateMessage, loneSurrogatePaths, type Violation, type ValidationResult } from './validate.js';
export { schemaValidator } from './schemas.js';
