/** An answer in Fly's error shape: `{"error": "...", "status": "unknown"}` with an HTTP status. */
export class SimHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new SimHttpError(404, `${what} not found`);
export const badRequest = (msg: string) => new SimHttpError(400, msg);
export const unprocessable = (msg: string) => new SimHttpError(422, msg);
export const preconditionFailed = (msg: string) => new SimHttpError(412, msg);
export const conflict = (msg: string) => new SimHttpError(409, msg);
