/** The KQL engine of the emulator's Resource Graph provider: lexer, parser, binder and evaluator. */
export { KqlError, type KqlErrorCode, type KqlPosition } from './errors';
export { tokenize, type Token } from './lexer';
export { parseQuery, parseExpression, SUPPORTED_OPERATORS } from './parser';
export {
  runQuery, compileQuery, deriveName, rowHintOf,
  type Catalog, type Column, type CompiledQuery, type QueryResult, type Row, type RowHint, type TableSource,
} from './evaluator';
export type { Query, Expr, Operator, KqlType } from './ast';
