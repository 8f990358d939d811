import { z } from "zod";

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
  })
  .superRefine((s, ctx) => {
    const need = (field: "repo" | "inline" | "image") => {
      if (s[field] === undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `type ${s.type} needs ${field}` });
    };
    if (s.type === "git") need("repo");
    if (s.type === "inline-docker-file") need("inline");
    if (s.type === "image") need("image");
  });
