/**
 * The waves decider: commands the ProjectDO's shell gives after it acted (a push made or
 * refused, a CI verdict read) or an admin asked (an approval), turned into events. Pure.
 */
import type { ImagesFile } from "../../config/images-file";
import type { WaveEvent, WaveWrite } from "./events";
import { waveEvent } from "./events";
import { digestsKey, type WavesState } from "./state";

export type WaveCommand =
  | {
      type: "record-written";
      write: WaveWrite;
      commit: string;
      parent: string;
      branch: string;
      gated: boolean;
      at: string;
    }
  | { type: "record-write-failed"; write: WaveWrite; code: string; reason: string; at: string }
  | { type: "approve"; wave: string; images: ImagesFile; at: string }
  | { type: "record-ci"; commit: string; state: "success" | "failure" | "error"; branch: string; at: string };

export function decide(command: WaveCommand, state: WavesState) {
  const at = command.at;
  const one = (event: WaveEvent, key: string) => [waveEvent(event, at, key)];
  switch (command.type) {
    case "record-written": {
      const { write, commit, parent, branch, gated } = command;
      return one({ type: "wave.written", data: { ...write, commit, parent, branch, gated } }, `wave.written:${commit}`);
    }
    case "record-write-failed": {
      const { write, code, reason } = command;
      const last = state.failures[write.wave];
      // A repeat of the same failure is not news: the log does not grow with retries.
      if (last && last.code === code && last.reason === reason) return [];
      return one(
        { type: "wave.write-failed", data: { ...write, code, reason } },
        `wave.write-failed:${write.wave}:${at}`,
      );
    }
    case "approve": {
      const digests = digestsKey(command.images);
      if (state.approvals[command.wave] === digests) return [];
      return one(
        { type: "wave.approved", data: { wave: command.wave, digests } },
        `wave.approved:${command.wave}:${digests}`,
      );
    }
    case "record-ci": {
      const gated = state.gated;
      if (!gated || gated.commit !== command.commit) return [];
      const { wave, commit } = gated;
      if (command.state === "success")
        return one({ type: "gate.passed", data: { wave, commit, branch: command.branch } }, `gate.passed:${commit}`);
      return one({ type: "gate.failed", data: { wave, commit, state: command.state } }, `gate.failed:${commit}`);
    }
    default: {
      const never: never = command;
      return never;
    }
  }
}
