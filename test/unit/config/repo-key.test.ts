import { describe, expect, it } from "vitest";
import { repoKey } from "../../../src/config";

describe("repoKey", () => {
  it.each([
    ["https://github.com/Acme/Web", "github.com/Acme/Web"],
    ["https://GitHub.com/acme/web.git", "github.com/acme/web"],
    ["https://user:token@github.com/acme/web.git/", "github.com/acme/web"],
    ["git@github.com:acme/web.git", "github.com/acme/web"],
    ["github.com:acme/web", "github.com/acme/web"],
    ["ssh://git@github.com/acme/web.git", "github.com/acme/web"],
    ["ssh://git@gitlab.example.com:2222/group/sub/proj.git", "gitlab.example.com/group/sub/proj"],
    ["http://127.0.0.1:8080/repos/app.git", "127.0.0.1/repos/app"],
    ["https://github.com/acme/web?x=1#frag", "github.com/acme/web"],
  ])("%s → %s", (url, key) => {
    expect(repoKey(url)).toBe(key);
  });
});
