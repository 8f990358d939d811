/** `/`: every app with its status, release, image, source and last deploy; config problems on top. */
import type { AppSummary, ConfigStatus } from "../../../durable/contract";
import { type AppListQuery, SORTS, statusChoices } from "../app-list-query";
import { ActionButton } from "../components/action-button";
import { Badge } from "../components/badge";
import { Commit, Image } from "../components/refs";
import { Tail } from "../components/tail";
import { Ago, duration } from "../components/when";
import type { TailLine } from "../event-text";
import type { Viewer } from "../viewer";
import { Layout } from "./layout";

export interface AppsPageData {
  viewer: Viewer;
  now: number;
  config: ConfigStatus;
  all: AppSummary[];
  shown: AppSummary[];
  query: AppListQuery;
  tail: { lines: TailLine[]; after: number };
}

export function AppsPage(props: AppsPageData) {
  const { viewer, config, now } = props;
  return (
    <Layout title="Apps" viewer={viewer}>
      <h1>
        Apps <span class="muted num">{`${props.shown.length} of ${props.all.length}`}</span>
      </h1>
      <ConfigProblems config={config} />
      <p class="muted">
        Config <code>{config.repo}</code> <code>{config.ref}</code> at <Commit sha={config.commit} repo={config.repo} />
        {config.lastEvaluation ? (
          <>
            {" "}
            · evaluated <Ago at={config.lastEvaluation.at} now={now} />
          </>
        ) : null}
      </p>
      {viewer.access === "admin" && viewer.csrf ? (
        <div class="actions">
          <ActionButton action="/sync" label="Sync now" csrf={viewer.csrf} />
        </div>
      ) : null}
      <Filters query={props.query} statuses={statusChoices(props.all)} />
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>App</th>
              <th>Status</th>
              <th>Release</th>
              <th class="hide-s">Image</th>
              <th class="hide-s">Source</th>
              <th>Last deploy</th>
              <th class="hide-s">Duration</th>
            </tr>
          </thead>
          <tbody>
            {props.shown.map((app) => (
              <AppRow app={app} now={now} />
            ))}
          </tbody>
        </table>
      </div>
      {props.shown.length === 0 ? <p class="muted">No app matches.</p> : null}
      <Tail src="/ui/live" after={props.tail.after} lines={props.tail.lines} title="Live" />
    </Layout>
  );
}

function AppRow(props: { app: AppSummary; now: number }) {
  const { app, now } = props;
  const last = app.lastDeploy;
  return (
    <tr data-app={app.name}>
      <td>
        <a href={`/apps/${encodeURIComponent(app.name)}`}>{app.name}</a>
        <PreviewOf app={app} />
      </td>
      <td>
        <Badge value={app.status} of={app.name} />
      </td>
      <td class="num" data-release-of={app.name}>
        {last ? String(last.release) : "—"}
      </td>
      <td class="hide-s">
        <Image image={last?.image ?? null} />
      </td>
      <td class="hide-s">
        <Commit sha={app.deployed.sourceCommit ?? app.desired.sourceCommit} />
      </td>
      <td>
        <Ago at={last?.startedAt ?? null} now={now} of={app.name} />
      </td>
      <td class="hide-s num">{last ? duration(last.startedAt, last.finishedAt, now) : ""}</td>
    </tr>
  );
}

/** Under a preview's name: the app it previews, its pull request, and where it answers. */
export function PreviewOf(props: { app: AppSummary }) {
  const { preview, name } = props.app;
  if (!preview) return null;
  return (
    <div class="muted" data-preview-of={preview.app}>
      preview of <a href={`/apps/${encodeURIComponent(preview.app)}`}>{preview.app}</a> #{String(preview.number)} ·{" "}
      <a href={`https://${name}.fly.dev`} rel="noopener noreferrer">
        {`${name}.fly.dev`}
      </a>
    </div>
  );
}

export function ConfigProblems(props: { config: ConfigStatus }) {
  const { errors, lastEvaluation } = props.config;
  if (errors.length === 0 && lastEvaluation?.ok !== false) return null;
  return (
    <section class="card problems" role="alert">
      <strong>
        The last config evaluation {lastEvaluation ? `(${lastEvaluation.commit.slice(0, 10)})` : ""} failed; the apps
        keep their last good state.
      </strong>
      <ul>
        {errors.map((e) => (
          <li>
            <code>{`${e.file}:${e.line}:${e.col}`}</code> {e.path ? <code>{e.path}</code> : null} {e.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Filters(props: { query: AppListQuery; statuses: string[] }) {
  const { query } = props;
  return (
    <form class="filters" method="get" action="/" aria-label="Filter apps">
      <label>
        Name
        <input type="search" name="q" value={query.q} placeholder="filter" autocomplete="off" />
      </label>
      <label>
        Status
        <select name="status">
          <option value="">all</option>
          {props.statuses.map((status) => (
            <option value={status} selected={status === query.status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort
        <select name="sort">
          {SORTS.map((sort) => (
            <option value={sort} selected={sort === query.sort}>
              {sort === "recent" ? "last deploy" : sort}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}
