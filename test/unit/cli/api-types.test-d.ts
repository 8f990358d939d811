/**
 * The CLI's restated API types (src/cli/api-types.ts) against the Worker's zod schemas
 * (src/worker/api/schemas.ts), which are the source: every answer the API may give must be a value
 * the CLI's type accepts. A field the CLI reads that the API renamed, dropped or retyped, or an
 * enum value the API added (a new deploy outcome, say) fails here. The CLI may read less than the
 * API sends. The CLI does not import the schemas (it is an HTTP client, DESIGN's layering and
 * test/unit/architecture keep it off src/worker), so the two are tied here instead.
 * Checked by tsc: vitest's typecheck (the unit project) and `npm run typecheck`.
 */
import type { z } from "@hono/zod-openapi";
import { describe, expectTypeOf, it } from "vitest";
import type * as cli from "../../../src/cli/api-types";
import type * as api from "../../../src/worker/api/schemas";

type Answer<S extends z.ZodType> = z.output<S>;

describe("the CLI's API types accept every answer the API's schemas allow", () => {
  it("DeploySummary", () => {
    expectTypeOf<Answer<typeof api.DeploySummarySchema>>().toExtend<cli.DeploySummary>();
  });

  it("DeployStep and DeployDetail", () => {
    expectTypeOf<Answer<typeof api.DeployStepSchema>>().toExtend<cli.DeployStep>();
    expectTypeOf<Answer<typeof api.DeployDetailSchema>>().toExtend<cli.DeployDetail>();
  });

  it("AppSummary", () => {
    expectTypeOf<Answer<typeof api.AppSummarySchema>>().toExtend<cli.AppSummary>();
  });

  it("ConfigStatus", () => {
    expectTypeOf<Answer<typeof api.ConfigStatusSchema>>().toExtend<cli.ConfigStatus>();
  });

  it("DeployPage", () => {
    expectTypeOf<Answer<typeof api.DeployPageSchema>>().toExtend<cli.DeployPage>();
  });

  it("the check fails on drift (a renamed field, a new enum value)", () => {
    type Renamed = Omit<Answer<typeof api.DeploySummarySchema>, "release"> & { version: number };
    expectTypeOf<Renamed>().not.toExtend<cli.DeploySummary>();
    type NewOutcome = Omit<Answer<typeof api.DeploySummarySchema>, "outcome"> & { outcome: "cancelled" };
    expectTypeOf<NewOutcome>().not.toExtend<cli.DeploySummary>();
  });
});
