/** What flyctl flags in `launch_params` / `deploy_params` mean to Tower. */
export interface FlagMeaning {
  vmSize?: string;
  region?: string;
  org?: string;
  name?: string;
  ha?: boolean;
  /** Flags Tower does not act on, as written (`--now`, `--remote-only`). */
  ignored: string[];
  /** Index into the list of each flag that had a meaning, for positions. */
  at: Partial<Record<"vmSize" | "region" | "org" | "name" | "ha", number>>;
}

const valued: Record<string, "vmSize" | "region" | "org" | "name"> = {
  "--vm-size": "vmSize",
  "--region": "region",
  "-r": "region",
  "--org": "org",
  "-o": "org",
  "--name": "name",
  "-a": "name",
  "--app": "name",
};

/** Reads `--flag value` and `--flag=value` forms; `--ha`, `--ha=false`. */
export function readFlags(params: readonly string[]): FlagMeaning {
  const out: FlagMeaning = { ignored: [], at: {} };
  for (let i = 0; i < params.length; i++) {
    const arg = params[i]!;
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const field = valued[flag];
    if (field) {
      const value = inline ?? params[++i];
      if (value !== undefined) {
        out[field] = value;
        out.at[field] = i;
      }
    } else if (flag === "--ha") {
      out.ha = inline === undefined ? true : !/^(false|0|no)$/i.test(inline);
      out.at.ha = i;
    } else if (arg.startsWith("-")) {
      out.ignored.push(arg);
    }
  }
  return out;
}
