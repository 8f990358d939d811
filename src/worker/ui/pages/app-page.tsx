/** `/apps/{app}`: the app's state, admin actions, its deploy history and its event log, newest first. */
import type { AppSummary, DeploySummary, Page } from "../../../durable/contract";
import { ActionButton } from "../components/action-button";
import { Badge } from "../components/badge";
import { Commit, Image } from "../components/refs";
import { Tail } from "../components/tail";
import { Ago, duration } from "../components/when";
import type { TailLine } from "../event-text";
import type { Viewer } from "../viewer";
import { PreviewOf } from "./apps-page";
import { Layout } from "./layout";

export interface AppPageData {
  viewer: Viewer;
  now: number;
  app: AppSummary;
  deploys: Page<DeploySummary>;
  /** The admin actions the API offers (rollback and unpin arrive with a later Tower). */
  can: { rollback: boolean; unpin: boolean };
  tail: { lines: TailLine[]; after: number };
}

/** Fields every summary has; any other one (a pin, say) is shown as it comes. */
const SHOWN = new Set(["name", "org", "status", "desired", "deployed", "lastDeploy", "preview"]);

export function AppPage(props: AppPageData) {
  const { app, viewer, now, can } = props;
  const path = `/apps/${encodeURIComponent(app.name)}`;
  const admin = viewer.access === "admin" && viewer.csrf ? viewer.csrf : null;
  const extra = Object.entries(app).filter(([key, value]) => !SHOWN.has(key) && value !== null && value !== undefined);
  return (
    <Layout title={app.name} viewer={viewer}>
      <h1>
        {app.name} <Badge value={app.status} of={app.name} />
      </h1>
      <PreviewOf app={app} />
      <section class="card">
        <dl class="facts">
          <dt>org</dt>
          <dd>{app.org}</dd>
          <dt>release</dt>
          <dd class="num" data-release-of={app.name}>
            {app.lastDeploy ? String(app.lastDeploy.release) : "—"}
          </dd>
          <dt>image</dt>
          <dd>
            <Image image={app.lastDeploy?.image ?? null} />
          </dd>
          <dt>config</dt>
          <dd>
            deployed <code title={app.deployed.configHash ?? ""}>{shortHash(app.deployed.configHash)}</code>, wanted{" "}
            <code title={app.desired.configHash ?? ""}>{shortHash(app.desired.configHash)}</code>
          </dd>
          <dt>source</dt>
          <dd>
            deployed <Commit sha={app.deployed.sourceCommit} />, wanted <Commit sha={app.desired.sourceCommit} />
          </dd>
          {extra.map(([key, value]) => (
            <>
              <dt>{key}</dt>
              <dd>
                <code>{typeof value === "string" ? value : JSON.stringify(value)}</code>
              </dd>
            </>
          ))}
        </dl>
      </section>
      {admin ? (
        <div class="actions">
          <ActionButton action={`${path}/sync`} label="Redeploy" csrf={admin} />
          {can.unpin ? <ActionButton action={`${path}/unpin`} label="Unpin" csrf={admin} /> : null}
        </div>
      ) : null}
      <h2>Deploys</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Release</th>
              <th>Outcome</th>
              <th>Started</th>
              <th>Duration</th>
              <th class="hide-s">Cause</th>
              {admin && can.rollback ? <th>Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.deploys.items.map((deploy) => (
              <tr data-deploy={deploy.id}>
                <td>
                  <a href={`${path}/deploys/${encodeURIComponent(deploy.id)}`}>{`release ${deploy.release}`}</a>
                </td>
                <td>
                  <Badge value={deploy.outcome} />
                </td>
                <td>
                  <Ago at={deploy.startedAt} now={now} />
                </td>
                <td class="num">{duration(deploy.startedAt, deploy.finishedAt, now)}</td>
                <td class="hide-s wrap">{deploy.cause}</td>
                {admin && can.rollback ? (
                  <td>
                    {deploy.outcome === "succeeded" && deploy.id !== app.lastDeploy?.id ? (
                      <ActionButton
                        action={`${path}/rollback`}
                        label="Roll back to this"
                        csrf={admin}
                        fields={{ deploy: deploy.id }}
                        danger
                      />
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.deploys.items.length === 0 ? <p class="muted">No deploy yet.</p> : null}
      {props.deploys.next ? (
        <p>
          <a href={`${path}?cursor=${encodeURIComponent(props.deploys.next)}`}>Older deploys</a>
        </p>
      ) : null}
      <Tail src={`/ui/live${path}`} after={props.tail.after} lines={props.tail.lines} title="Events" />
    </Layout>
  );
}

function shortHash(hash: string | null): string {
  return hash ? hash.replace(/^sha256:/, "").slice(0, 12) : "—";
}
