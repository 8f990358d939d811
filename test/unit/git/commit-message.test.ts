import { describe, expect, it } from "vitest";
import { formatCommitMessage, parseTrailers } from "../../../src/git";
import { mayCarryCredentials } from "../../../src/git/guard";

describe("commit messages", () => {
  it("puts trailers in the last paragraph, where git interpret-trailers reads them", () => {
    const text = formatCommitMessage({
      subject: " image: api → 1.5.0 ",
      body: "Chosen by policy semver ^1.4.",
      trailers: [
        ["Tower-Image-Policy", "apps/api/app.yaml semver ^1.4"],
        ["Tower-Previous", "ghcr.io/acme/api:1.4.2@sha256:aa"],
      ],
    });
    expect(text).toBe(
      "image: api → 1.5.0\n\nChosen by policy semver ^1.4.\n\n" +
        "Tower-Image-Policy: apps/api/app.yaml semver ^1.4\nTower-Previous: ghcr.io/acme/api:1.4.2@sha256:aa\n",
    );
    expect(parseTrailers(text)).toEqual([
      ["Tower-Image-Policy", "apps/api/app.yaml semver ^1.4"],
      ["Tower-Previous", "ghcr.io/acme/api:1.4.2@sha256:aa"],
    ]);
    expect(parseTrailers("just a subject\n")).toEqual([]);
  });

  it("refuses values that would forge more trailers or lines", () => {
    const forged = { subject: "x", trailers: [["Tower-Previous", "a\nTower-Deploy: evil"]] as [string, string][] };
    expect(() => formatCommitMessage(forged)).toThrow(/one line/);
    expect(() => formatCommitMessage({ subject: "x", trailers: [["Bad Key", "v"]] })).toThrow(/trailer key/);
    expect(() => formatCommitMessage({ subject: "a\nb" })).toThrow(/one line/);
    expect(() => formatCommitMessage({ subject: " " })).toThrow(/subject/);
  });

  it("sends credentials over https, and over plain http to loopback only", () => {
    expect(mayCarryCredentials("https://github.com/o/r.git")).toBe(true);
    expect(mayCarryCredentials("http://127.0.0.1:8080/r.git")).toBe(true);
    expect(mayCarryCredentials("http://localhost/r.git")).toBe(true);
    expect(mayCarryCredentials("http://[::1]:9/r.git")).toBe(true);
    expect(mayCarryCredentials("http://git.example.com/r.git")).toBe(false);
    expect(mayCarryCredentials("http://127.0.0.1.evil.com/r.git")).toBe(false);
  });
});
