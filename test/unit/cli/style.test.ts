import { describe, expect, it } from "vitest";
import { styleFor } from "../../../src/cli/style";

describe("CLI colours", () => {
  it("colour on a terminal, plain when piped or when NO_COLOR is set", () => {
    expect(styleFor({ isTTY: true }, {}).add("+ x")).toBe("\u001b[32m+ x\u001b[0m");
    expect(styleFor({ isTTY: true }, { NO_COLOR: "1" }).add("+ x")).toBe("+ x");
    // no-color.org: an empty NO_COLOR does not count.
    expect(styleFor({ isTTY: true }, { NO_COLOR: "" }).remove("- x")).toBe("\u001b[31m- x\u001b[0m");
    expect(styleFor({ isTTY: false }, {}).change("~ x")).toBe("~ x");
    expect(styleFor({}, {}).strong("a")).toBe("a");
  });
});
