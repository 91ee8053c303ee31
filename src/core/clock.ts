/** Where every service reads the time from, so expiry is testable without sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  /** Milliseconds added after every reading, to model time passing within one request. */
  step = 0;
  constructor(private current = Date.now()) {}
  now(): number {
    const reading = this.current;
    this.current += this.step;
    return reading;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

export const seconds = (ms: number): number => Math.floor(ms / 1000);
