/** `/apps/{app}/deploys/{id}`: one deploy — its facts, plan summary, error, and steps as a timeline. */
import type { DeployDetail } from "../../../durable/contract";
import { Badge } from "../components/badge";
import { Commit, Image } from "../components/refs";
import { Ago, duration } from "../components/when";
import type { Viewer } from "../viewer";
import { Layout } from "./layout";

export function DeployPage(props: { viewer: Viewer; now: number; app: string; deploy: DeployDetail }) {
  const { deploy, now, app } = props;
  const plan = Object.entries(deploy.planSummary);
  return (
    <Layout title={`${app} release ${deploy.release}`} viewer={props.viewer}>
      <p>
        <a href={`/apps/${encodeURIComponent(app)}`}>{app}</a>
      </p>
      <h1>
        Release {String(deploy.release)} <Badge value={deploy.outcome} />
      </h1>
      {deploy.error ? (
        <p class="card problems" role="alert">
          {deploy.error}
        </p>
      ) : null}
      <section class="card">
        <dl class="facts">
          <dt>deploy</dt>
          <dd>
            <code>{deploy.id}</code>
          </dd>
          <dt>cause</dt>
          <dd>{deploy.cause}</dd>
          <dt>started</dt>
          <dd>
            <Ago at={deploy.startedAt} now={now} />
          </dd>
          <dt>duration</dt>
          <dd class="num">{duration(deploy.startedAt, deploy.finishedAt, now)}</dd>
          <dt>image</dt>
          <dd>
            <Image image={deploy.image} />
          </dd>
          <dt>config</dt>
          <dd>
            <code>{deploy.configHash}</code>
          </dd>
          <dt>source</dt>
          <dd>
            <Commit sha={deploy.sourceCommit} />
          </dd>
          <dt>plan</dt>
          <dd>{plan.length > 0 ? plan.map(([what, count]) => `${what} ${count}`).join(" · ") : "no changes"}</dd>
        </dl>
      </section>
      <h2>Steps</h2>
      {deploy.steps.length === 0 ? <p class="muted">No step has run yet.</p> : null}
      <ol class="timeline">
        {deploy.steps.map((step) => (
          <li data-step={step.name}>
            <strong>{step.name}</strong> <Badge value={step.outcome} />{" "}
            <span class="muted num">{duration(step.startedAt, step.finishedAt, now)}</span>
            {step.message ? <span class="msg">{step.message}</span> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
}
