/** Folds one event into the projection. Pure: the same log always gives the same state. */
import type { ProjectEvent } from "./events";
import type { KnownApp, ProjectState } from "./state";

export function evolve(
  state: ProjectState,
  stored: ProjectEvent & { seq: number; at: string; key: string },
): ProjectState {
  const s: ProjectState = { ...state, version: stored.seq };
  const e = stored as ProjectEvent;
  switch (e.type) {
    case "push.received":
      return { ...s, inbox: [...s.inbox, e.data.push] };
    case "push.ignored":
    case "push.routed": {
      const inbox = s.inbox.filter((p) => p.deliveryId !== e.data.deliveryId);
      if (e.type === "push.routed" && e.data.config)
        return { ...s, inbox, wanted: { cause: `push:${e.data.deliveryId}`, force: false } };
      return { ...s, inbox };
    }
    case "sync.requested":
      return { ...s, wanted: { cause: `sync:${e.data.id}`, force: e.data.force || !!s.wanted?.force } };
    case "config.fetched":
      return { ...s, lastFailure: null, config: { ...s.config, commit: e.data.commit } };
    case "config.evaluated": {
      const apps: Record<string, KnownApp> = {};
      for (const name of e.data.kept) if (s.apps[name]) apps[name] = s.apps[name];
      for (const entry of e.data.apps) apps[entry.name] = entry;
      const ok = e.data.errors.length === 0;
      const lastEvaluation = { at: stored.at, commit: e.data.commit, ok, apps: Object.keys(apps).length };
      const config = { ...s.config, lastEvaluation, errors: e.data.errors };
      // An app back in config is no longer on its way out, nor retired.
      const prunePending = Object.fromEntries(Object.entries(s.prunePending ?? {}).filter(([name]) => !apps[name]));
      const retired = Object.fromEntries(Object.entries(s.retired ?? {}).filter(([name]) => !apps[name]));
      return { ...s, apps, wanted: null, lastFailure: null, config, prunePending, retired };
    }
    case "config.failed": {
      const lastEvaluation = e.data.commit
        ? { at: stored.at, commit: e.data.commit, ok: false, apps: Object.keys(s.apps).length }
        : s.config.lastEvaluation;
      const lastFailure = { stage: e.data.stage, messages: e.data.errors.map((error) => error.message) };
      return { ...s, wanted: null, lastFailure, config: { ...s.config, lastEvaluation, errors: e.data.errors } };
    }
    case "app.desired": {
      const known = s.apps[e.data.app];
      if (!known) return s;
      const app = { ...known, sourceCommit: e.data.sourceCommit };
      return { ...s, apps: { ...s.apps, [e.data.app]: app } };
    }
    case "image.committed":
    case "image.overridden":
    case "image.conflict":
      // The scan's own state row holds what they mean for the next scan; the log is the record.
      return s;
    case "app.removed": {
      // `config.evaluated` already dropped it from `apps`; the notice itself is the shell's business.
      // Pruned, it is destroyed; not pruned, it stays on Fly as Tower's, and its name stays taken.
      const { [e.data.app]: _, ...prunePending } = s.prunePending ?? {};
      const { [e.data.app]: _gone, ...others } = s.retired ?? {};
      const retired = e.data.prune ? others : { ...others, [e.data.app]: e.data.cause };
      return { ...s, prunePending, retired };
    }
    case "app.prune-pending":
      return { ...s, prunePending: { ...s.prunePending, [e.data.app]: e.data.cause } };
    case "pull.received":
      return { ...s, pulls: [...s.pulls, e.data.pull] };
    case "pull.ignored":
    case "pull.routed":
      return { ...s, pulls: s.pulls.filter((p) => p.deliveryId !== e.data.deliveryId) };
    case "preview.desired": {
      return { ...s, previews: { ...s.previews, [e.data.app]: { ...e.data, at: stored.at } } };
    }
    case "preview.closed": {
      const { [e.data.app]: _gone, ...previews } = s.previews;
      return { ...s, previews };
    }
    case "feedback.undelivered":
      return s;
    default:
      return assertNever(e);
  }
}

function assertNever(e: never): never {
  throw new Error(`unhandled project event ${JSON.stringify(e)}`);
}
