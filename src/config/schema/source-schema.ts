import { z } from "zod";
import { policyProblem } from "../image-policy";

/** A service name in an images file (cfgupdater's keys). */
export const SERVICE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export const gitRef = z
  .strictObject({
    branch: z.string().min(1).optional(),
    tag: z.string().min(1).optional(),
    // BuildKit's git contexts refuse abbreviated hashes.
    commit: z
      .string()
      .regex(/^[0-9a-f]{40}$/, "a commit is the full 40-character hash")
      .optional(),
  })
  .refine((r) => [r.branch, r.tag, r.commit].filter((v) => v !== undefined).length <= 1, {
    message: "give one of branch, tag or commit",
  });

/** Which tags of an image the app follows; see docs/image-automation.md. */
export const imagePolicy = z
  .strictObject({
    semver: z.string().min(1).describe("a semver range: newest tag in it wins").optional(),
    pattern: z.string().min(1).describe("a regular expression (RE2) tags must match").optional(),
    order: z.enum(["numeric", "alphabetical"]).describe("how pattern matches are ordered").optional(),
    by: z.string().describe("the named group of pattern to order by (default: the whole tag)").optional(),
    write_back: z.boolean().describe("commit new tags into the config repo (default true)").optional(),
    suspend: z.boolean().describe("freeze the image at its pinned tag").optional(),
  })
  .superRefine((p, ctx) => {
    const problem = policyProblem(p);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
  });

/**
 * Where an app's code (or a nested project's files) comes from, as in flycd:
 * `git` (repo + ref + path), `local` (a folder of this config repo, relative to the file),
 * `inline-docker-file` (the Dockerfile text in `inline`), or `image` (a prebuilt image).
 */
export const source = z
  .strictObject({
    type: z.enum(["git", "local", "inline-docker-file", "image"]),
    repo: z.string().min(1).optional(),
    path: z.string().optional(),
    ref: gitRef.optional(),
    inline: z.string().optional(),
    image: z.string().min(1).optional(),
    dockerfile: z.string().optional(),
    policy: imagePolicy.describe("image automation: which tags of `image` to follow").optional(),
    from: z
      .string()
      .min(1)
      .describe("type image: the images file (JSON, from the root project's folder) that names the image")
      .optional(),
    service: z
      .string()
      .regex(SERVICE_NAME, "a service name: lowercase letters, digits, ., _ and -")
      .describe("the service in `from` whose image this app runs; on a built app, the name waves promote it as")
      .optional(),
  })
  .superRefine((s, ctx) => {
    const need = (field: "repo" | "inline" | "image") => {
      if (s[field] === undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `type ${s.type} needs ${field}` });
    };
    if (s.type === "git") need("repo");
    if (s.type === "inline-docker-file") need("inline");
    if (s.type === "image" && s.from === undefined) need("image");
    if (s.from !== undefined) {
      if (s.type !== "image") ctx.addIssue({ code: "custom", path: ["from"], message: "from goes with type image" });
      if (s.image !== undefined)
        ctx.addIssue({ code: "custom", path: ["image"], message: "give image or from, not both" });
      if (s.policy !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["policy"],
          message: "an image from an images file follows its waves, not a policy",
        });
      if (s.service === undefined) ctx.addIssue({ code: "custom", path: ["from"], message: "from needs service" });
    } else if (s.type === "image" && s.service !== undefined) {
      ctx.addIssue({ code: "custom", path: ["service"], message: "service goes with from (or a built source)" });
    }
    if (s.policy !== undefined && s.type !== "image") {
      ctx.addIssue({ code: "custom", path: ["policy"], message: "a policy goes with type image" });
    }
  });
