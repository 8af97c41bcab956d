export { createCardConnector, type CardConnector, type CardSubmitInput } from './connector.js';
export { cardCredentialsSchema, parseCardCredentials, cardRulesOf, type CardCredentials, type CardCredentialsInput } from './credentials.js';
export {
  buildCardRules,
  validateCardInput,
  defaultTelcos,
  defaultFaceValues,
  defaultCardShapes,
  fallbackFaceValues,
  fallbackCardShape,
  type CardRules,
  type CardShape,
  type FieldShape,
  type CardInputIssue,
} from './card-rules.js';
export { maskSecret, redactSecrets } from './mask.js';
export { cardSign, cardSignMatches } from './signing.js';
export { toStatusReport, type CardChargeReport, type CardChargeStatus } from './report.js';
export { documentedCardStatuses, describeCardStatus, isDocumentedCardStatus, type DocumentedCardStatus } from './status.js';
export { cardFailureOf, cardRefusalOf, CardInputError, type CardFailure, type CardFailureCode } from './errors.js';
export {
  verifyCardCallback,
  locateCardCallback,
  acknowledgeCardCallback,
  rejectCardCallback,
  readCardCallbackFields,
  type CardCallbackVerdict,
} from './callback.js';
export { judgeCardCallback, type CardChargeState, type CardCallbackJudgement, type CardCallbackRejection, type JudgeOptions } from './judge.js';
