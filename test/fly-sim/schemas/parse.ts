/** Turns a zod failure into Fly's 422 error naming the offending field. */
import type { z } from "zod";
import { SimHttpError } from "../http-error";

export function describeIssues(issues: readonly z.core.$ZodIssue[], root: string): string {
  return issues
    .map((issue) => {
      const at = [root, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))]
        .join("")
        .replace(/^\./, "");
      if (issue.code === "unrecognized_keys") return issue.keys.map((k) => `${at}.${k}: unknown field`).join("; ");
      return `${at}: ${issue.message}`;
    })
    .join("; ");
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined) throw new SimHttpError(422, "request body required");
  const result = schema.safeParse(body);
  if (!result.success) throw new SimHttpError(422, `invalid request: ${describeIssues(result.error.issues, "body")}`);
  return result.data;
}
