/**
 * What promotion waves add to the ProjectDO's log (their own stream, `waves`): the commits Tower
 * made to images files, approvals, write failures and the CI gate's verdicts. No secret in any.
 */
import { type Decided, eventBuilder } from "../event-sourced";
import type { WaveWrite } from "./wave-write";

export type { WaveWrite, WritePurpose } from "./wave-write";

export type WaveEvent =
  /** Pushed: to the deploy branch, or (with a gate) to the gate branch, waiting for CI. */
  | { type: "wave.written"; data: WaveWrite & { commit: string; parent: string; branch: string; gated: boolean } }
  /** An admin let these digests into a `approve: manual` wave. */
  | { type: "wave.approved"; data: { wave: string; digests: string } }
  /** Nothing was pushed: the reason (a conflict, a refused push, a race lost every time). */
  | { type: "wave.write-failed"; data: WaveWrite & { code: string; reason: string } }
  /** CI passed on the gated commit and the deploy branch was moved to it. */
  | { type: "gate.passed"; data: { wave: string; commit: string; branch: string } }
  /** CI failed on the gated commit: the deploy branch stays where it is. */
  | { type: "gate.failed"; data: { wave: string; commit: string; state: string } };

export type DecidedWaveEvent = Decided<WaveEvent>;

export const waveEvent = eventBuilder<WaveEvent>({
  "wave.written": 1,
  "wave.approved": 1,
  "wave.write-failed": 1,
  "gate.passed": 1,
  "gate.failed": 1,
});
