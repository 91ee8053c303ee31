/**
 * An entity named by id does not exist. The CLI prints it as one line (exit code 1); the API
 * answers 404.
 */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

/**
 * The change would clash with what exists (an email already registered). The CLI prints it as
 * one line (exit code 1); the API answers 409.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/**
 * Input the core refuses (a bad name, scope or date). The API answers 400 `invalid_request`;
 * the CLI exits 2.
 */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}
