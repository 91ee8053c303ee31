import type { Portcullis } from './open-portcullis.js';

/**
 * When another process (`portcullis keys:rotate`) has made a new key the active one, switches
 * this server to it from the key file, without a restart. True when it switched. A server whose
 * key comes from the environment, or whose key file is not the active key (another machine's
 * storage), keeps its key; `/health` then reports it.
 */
export async function followSigningKey(portcullis: Portcullis): Promise<boolean> {
  const { keys } = portcullis.ctx;
  if (await keys.signingKeyActive()) return false;
  return keys.ensureActiveSigner();
}

/** Runs {@link followSigningKey} every `intervalMs` until the returned stop is called. */
export function followSigningKeyEvery(
  portcullis: Portcullis,
  intervalMs: number,
  onSwitch: (kid: string) => void,
  onError: (error: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    followSigningKey(portcullis)
      .then((switched) => {
        if (switched) onSwitch(portcullis.ctx.keys.signing.kid);
      }, onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
