/**
 * The platform's API errors: one table of codes mapped to HTTP statuses (Toxiproxy's predefined
 * errors carry their status the same way). Handlers throw ApiError; one express error handler
 * turns it into `{ error: { code, message, field? } }` with the table's status.
 */
export const API_ERRORS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  BAD_GATEWAY: 502,
  DEPENDENCY_UNAVAILABLE: 503,
  CIRCUIT_OPEN: 503,
  TIMEOUT: 504,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** The request field that failed validation, or the dependency that is down. */
    readonly field?: string,
    /** Seconds, for 429 and 503 Retry-After. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = API_ERRORS[code];
  }

  toBody(): { error: { code: ApiErrorCode; message: string; field?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}
