// Several rounds of the same cases, combined. On a shared or virtual machine the speed of the
// CPU drifts by tens of percent from one minute to the next; one run of Portcullis followed by
// one run of oidc-provider compares two different machines. Rounds interleave the servers, and
// the ratio is taken within each round (the two runs closest in time), then the median.

/** The figures of one case in one round; `valid` false when the round's run is unusable. */
export interface RoundFigures {
  name: string;
  valid: boolean;
  requestsPerSecond?: number;
  latencyP99Ms?: number;
  latencyMeanMs?: number;
  responses?: number;
  non200?: number;
  errors?: number;
  /** Server process CPU time per response (all its threads), in µs. */
  serverCpuUsPerRequest?: number;
  /** CPU used meanwhile by processes other than the server and the load generator, in cores. */
  otherCores?: number;
  invalidReason?: string;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const defined = (values: (number | undefined)[]): number[] =>
  values.filter((v): v is number => v !== undefined);

const sum = (values: (number | undefined)[]): number | undefined =>
  values.some((v) => v !== undefined) ? defined(values).reduce((a, b) => a + b, 0) : undefined;

/**
 * One case over every round: medians of the rates, latencies and CPU cost; sums of the
 * response and error counts; the largest foreign load. Invalid when any round was.
 */
export function combineRounds<T extends RoundFigures>(
  rounds: readonly T[],
): T & { perRound: number[] } {
  const first = rounds[0]!;
  const invalid = rounds.filter((r) => !r.valid);
  const pick = (key: keyof RoundFigures) =>
    defined(rounds.map((r) => r[key] as number | undefined));
  const combined = {
    ...first,
    valid: invalid.length === 0,
    requestsPerSecond: median(pick('requestsPerSecond')),
    latencyP99Ms: median(pick('latencyP99Ms')),
    latencyMeanMs: median(pick('latencyMeanMs')),
    serverCpuUsPerRequest: median(pick('serverCpuUsPerRequest')),
    responses: sum(rounds.map((r) => r.responses)),
    non200: sum(rounds.map((r) => r.non200)),
    errors: sum(rounds.map((r) => r.errors)),
    otherCores: pick('otherCores').length ? Math.max(...pick('otherCores')) : undefined,
    perRound: pick('requestsPerSecond'),
  };
  if (invalid.length > 0) {
    combined.invalidReason = invalid.map((r) => r.invalidReason ?? 'invalid').join('; ');
  }
  return combined;
}

/**
 * `ours / theirs` req/s within each round where both were valid, then the median: the figure
 * least moved by the machine's drift.
 */
export function medianRatio(
  rounds: readonly (readonly RoundFigures[])[],
  ours: string,
  theirs: string,
  figure: (r: RoundFigures) => number | undefined = (r) => r.requestsPerSecond,
): number | undefined {
  const ratios: number[] = [];
  for (const round of rounds) {
    const a = round.find((r) => r.name === ours);
    const b = round.find((r) => r.name === theirs);
    const x = a?.valid ? figure(a) : undefined;
    const y = b?.valid ? figure(b) : undefined;
    if (x !== undefined && y !== undefined && y > 0) ratios.push(x / y);
  }
  return median(ratios);
}
