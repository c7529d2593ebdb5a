/** Why a module could not be instrumented. */
export type InstrumentErrorKind =
  /** Not a well-formed WebAssembly binary (truncated, bad LEB, bad sizes, rejected by the validator). */
  | 'malformed'
  /** Well-formed, but uses an encoding or feature this rewriter does not know. */
  | 'unsupported'
  /** The module's declared minimum memory exceeds the policy's cap. */
  | 'memory-limit'
  /** The module already exports one of the names the instrumenter adds. */
  | 'name-clash';

export class InstrumentError extends Error {
  readonly kind: InstrumentErrorKind;
  /** Index of the function (in the function index space, imports first) the problem is in. */
  readonly functionIndex: number | null;
  /** Byte offset in the input module. */
  readonly offset: number | null;

  constructor(
    kind: InstrumentErrorKind,
    message: string,
    where: { functionIndex?: number | null; offset?: number | null } = {},
  ) {
    const functionIndex = where.functionIndex ?? null;
    const offset = where.offset ?? null;
    super(message + describeWhere(functionIndex, offset));
    this.name = 'InstrumentError';
    this.kind = kind;
    this.functionIndex = functionIndex;
    this.offset = offset;
  }
}

function describeWhere(functionIndex: number | null, offset: number | null): string {
  const parts: string[] = [];
  if (functionIndex !== null) parts.push(`function ${functionIndex}`);
  if (offset !== null) parts.push(`byte offset 0x${offset.toString(16)}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
