/**
 * Steps that upgrade stored AppDO events to the versions in events.ts, applied when read. Every
 * event is at v1 so far; when one changes shape, bump its `v` and add `type: { 1: (data) => … }`.
 */
import { upcasterFrom } from "../event-store";

export const upcastAppEvent = upcasterFrom({});
