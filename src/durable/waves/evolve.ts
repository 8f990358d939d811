import type { DecidedWaveEvent } from "./events";
import type { WavesState } from "./state";

export function evolve(state: WavesState, event: DecidedWaveEvent & { seq: number }, seq: number): WavesState {
  const next = { ...state, version: seq };
  switch (event.type) {
    case "wave.written": {
      const { wave, commit, parent, images, purpose, gated, file } = event.data;
      const failures = { ...state.failures };
      delete failures[wave];
      const written = { ...state.written, [wave]: { commit, images, purpose, gated, at: event.at } };
      // A gated commit stacked on one still waiting replaces it: the newer holds both changes.
      const held = gated ? { wave, file, images, purpose, commit, parent, at: event.at } : null;
      return { ...next, written, failures, gated: held ?? state.gated };
    }
    case "wave.approved":
      return { ...next, approvals: { ...state.approvals, [event.data.wave]: event.data.digests } };
    case "wave.write-failed": {
      const { wave, code, reason } = event.data;
      return { ...next, failures: { ...state.failures, [wave]: { code, reason, at: event.at } } };
    }
    case "gate.passed":
      return { ...next, gated: null };
    case "gate.failed": {
      const { wave, commit, state: ci } = event.data;
      const images = state.gated?.images ?? {};
      return {
        ...next,
        gated: null,
        rejected: { ...state.rejected, [wave]: { commit, images, state: ci, at: event.at } },
      };
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}
