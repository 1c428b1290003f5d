/**
 * Errors of the KQL engine. Each carries what Azure Resource Graph puts in the `details` of its 400
 * `BadRequest` envelope: a code, a message, the 1-based line, the 0-based character position in that line
 * and the offending token (ARG answers `"token": "<EOF>"` when the query ends too early).
 *
 * Codes seen from the real service: `ParserFailure` (message literally "ParserFailure"), `UnknownFunction`
 * (message "Unknown function: 'cout'."). The semantic codes (unknown column, unknown table, wrong argument
 * count) are this emulator's reading of Kusto's semantic errors; the service words them similarly.
 */
export type KqlErrorCode =
  /** Syntax error (lexer or parser), including unknown tabular operators. */
  | 'ParserFailure'
  /** A scalar or aggregate function that does not exist (or is not supported by this emulator). */
  | 'UnknownFunction'
  /** The source table does not exist. */
  | 'UnknownTable'
  /** A column name that the input of the operator does not have. */
  | 'UnknownColumn'
  /** Anything else Kusto's semantic analysis rejects (argument count, aggregate out of context, types). */
  | 'SemanticError';

export interface KqlPosition {
  /** 0-based offset in the query text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 0-based character position in the line. */
  column: number;
}

export class KqlError extends Error {
  constructor(
    public readonly code: KqlErrorCode,
    message: string,
    public readonly position: KqlPosition,
    public readonly token: string,
    public readonly expectedToken?: string,
  ) {
    super(message);
    this.name = 'KqlError';
  }

  /** The error detail in ARG's shape. */
  toDetail(): Record<string, unknown> {
    const detail: Record<string, unknown> = {
      code: this.code,
      message: this.code === 'ParserFailure' ? 'ParserFailure' : this.message,
      line: this.position.line,
      characterPositionInLine: this.position.column,
      token: this.token,
    };
    if (this.expectedToken !== undefined) detail.expectedToken = this.expectedToken;
    return detail;
  }
}
