/**
 * Turns a resolved IAM `Resource` value (a string or a CloudFormation intrinsic) into the ARN
 * patterns it can stand for, so that wildcards can be told apart from references.
 *
 * A reference (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, a `${...}` of `Fn::Sub`, any intrinsic this
 * reader does not expand) is a value unknown at synth time that IAM reads literally: it becomes one
 * "opaque marker" character, never a wildcard. The same reference always gets the same marker, so
 * `${AWS::Region}` in the Region field and in `userpool/${AWS::Region}_*` are recognised as equal.
 */
export class ResourcePatternReader {
  /** Beyond this many alternatives (nested `Fn::If` in joins) the rest are not expanded. */
  private static readonly MAX_ALTERNATIVES = 64;
  /** Unicode private use area: characters that never appear in a real ARN. */
  private static readonly FIRST_MARKER = 0xe000;
  private static readonly LAST_MARKER = 0xf8ff;

  private readonly markers = new Map<string, string>();

  /**
   * The patterns one `Resource` / `NotResource` element can take. Usually one; `Fn::If` gives one per
   * branch; `Ref: AWS::NoValue` gives none.
   */
  public read(value: unknown): string[] {
    if (typeof value === 'string') {
      return [value];
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      return [String(value)];
    }
    if (!isSingleKeyObject(value)) {
      return [this.markerFor(value)];
    }
    const [fn, args] = Object.entries(value)[0];
    switch (fn) {
      case 'Ref':
        return args === 'AWS::NoValue' ? [] : [this.markerFor({ Ref: args })];
      case 'Fn::GetAtt':
        return [this.markerFor({ 'Fn::GetAtt': normaliseGetAtt(args) })];
      case 'Fn::Join':
        return this.readJoin(args, value);
      case 'Fn::Sub':
        return this.readSub(args, value);
      case 'Fn::If':
        return this.readIf(args, value);
      default:
        return [this.markerFor(value)];
    }
  }

  private readJoin(args: unknown, whole: unknown): string[] {
    if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || !Array.isArray(args[1])) {
      return [this.markerFor(whole)];
    }
    const separator = args[0];
    const partAlternatives = args[1].map((part: unknown) => {
      const alternatives = this.read(part);
      return alternatives.length > 0 ? alternatives : [''];
    });
    return this.combine(partAlternatives).map((parts) => parts.join(separator));
  }

  private readSub(args: unknown, whole: unknown): string[] {
    const template = Array.isArray(args) ? args[0] : args;
    const variables: unknown = Array.isArray(args) ? args[1] : undefined;
    if (typeof template !== 'string') {
      return [this.markerFor(whole)];
    }
    const pieces: string[][] = [];
    let last = 0;
    for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
      pieces.push([template.slice(last, match.index)]);
      pieces.push(this.readSubVariable(match[1], variables));
      last = (match.index ?? 0) + match[0].length;
    }
    pieces.push([template.slice(last)]);
    return this.combine(pieces).map((parts) => parts.join(''));
  }

  private readSubVariable(name: string, variables: unknown): string[] {
    if (name.startsWith('!')) {
      // `${!Literal}` is written out as `${Literal}`.
      return [`\${${name.slice(1)}}`];
    }
    if (isRecord(variables) && Object.prototype.hasOwnProperty.call(variables, name)) {
      const alternatives = this.read(variables[name]);
      return alternatives.length > 0 ? alternatives : [''];
    }
    const dot = name.indexOf('.');
    return dot > 0
      ? [this.markerFor({ 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] })]
      : [this.markerFor({ Ref: name })];
  }

  private readIf(args: unknown, whole: unknown): string[] {
    if (!Array.isArray(args) || args.length !== 3) {
      return [this.markerFor(whole)];
    }
    return [...this.read(args[1]), ...this.read(args[2])].slice(0, ResourcePatternReader.MAX_ALTERNATIVES);
  }

  /** Every combination of one alternative per piece (a cartesian product), capped. */
  private combine(pieces: string[][]): string[][] {
    let combinations: string[][] = [[]];
    for (const alternatives of pieces) {
      const next: string[][] = [];
      for (const prefix of combinations) {
        for (const alternative of alternatives) {
          if (next.length < ResourcePatternReader.MAX_ALTERNATIVES) {
            next.push([...prefix, alternative]);
          }
        }
      }
      combinations = next;
    }
    return combinations;
  }

  private markerFor(reference: unknown): string {
    const key = stableKey(reference) ?? `unserialisable#${this.markers.size}`;
    let marker = this.markers.get(key);
    if (marker === undefined) {
      const code = Math.min(ResourcePatternReader.FIRST_MARKER + this.markers.size, ResourcePatternReader.LAST_MARKER);
      marker = String.fromCharCode(code);
      this.markers.set(key, marker);
    }
    return marker;
  }
}

function normaliseGetAtt(args: unknown): unknown {
  if (typeof args === 'string') {
    const dot = args.indexOf('.');
    return dot > 0 ? [args.slice(0, dot), args.slice(dot + 1)] : [args];
  }
  return args;
}

/** The identity of a reference; undefined for input JSON cannot serialise (it then gets a marker of its own). */
function stableKey(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return undefined;
  }
}

function isSingleKeyObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Object.keys(value).length === 1;
}

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
