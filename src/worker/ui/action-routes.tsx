/**
 * Admin actions from the dashboard. Each needs an admin session (PUBLIC_API never opens them) and
 * the session's CSRF token; the first POST asks for confirmation, the confirmed one is handed to
 * the JSON API's own admin route, so the dashboard does exactly what `POST /api/...` does and
 * shows the API's answer, error included.
 */
import type { Context, ExecutionContext, Hono } from "hono";
import type { TowerEnv } from "../../env";
import { ActionButton } from "./components/action-button";
import { Layout, MessagePage } from "./pages/layout";
import { checkCsrf } from "./session";
import type { UiEnv } from "./viewer";

/** The API, as the dashboard calls it: hono's `app.request` of the /api sub-app. */
export type ApiRequest = (
  path: string,
  init: RequestInit,
  env: TowerEnv,
  ctx?: ExecutionContext,
) => Response | Promise<Response>;

interface Action {
  /** The dashboard's path; the API's is the same under /api. */
  path: string;
  verb: string;
  done: string;
}

export const ACTIONS: readonly Action[] = [
  { path: "/sync", verb: "Sync now (re-read config)", done: "Sync requested" },
  { path: "/apps/:app/sync", verb: "Redeploy", done: "Redeploy requested" },
  { path: "/apps/:app/rollback", verb: "Roll back", done: "Rollback requested" },
  { path: "/apps/:app/unpin", verb: "Unpin", done: "Unpin requested" },
];

export function registerActions(ui: Hono<UiEnv>, api: ApiRequest, available: (path: string) => boolean): void {
  for (const action of ACTIONS) {
    if (!available(action.path)) continue;
    ui.post(action.path, (c) => act(c, action, api));
  }
}

async function act(c: Context<UiEnv>, action: Action, api: ApiRequest): Promise<Response> {
  const viewer = c.get("viewer");
  const key = c.get("sessionKey");
  const app = c.req.param("app");
  const back = app ? `/apps/${encodeURIComponent(app)}` : "/";
  const refuse = (message: string) =>
    c.html(<MessagePage viewer={viewer} title="Refused" message={message} back={back} error />, 403);
  if (viewer.access !== "admin" || !viewer.session || !key)
    return refuse("Actions need an admin session: sign in with the admin token.");
  const form = await c.req.parseBody();
  if (!(await checkCsrf(key, viewer.session, form.csrf)))
    return refuse("The form's CSRF token is missing or wrong: reload the page and try again.");
  const deploy = typeof form.deploy === "string" ? form.deploy : undefined;
  const target = app ? `${action.verb} ${app}${deploy ? ` to deploy ${deploy}` : ""}` : action.verb;

  if (form.confirmed !== "1")
    return c.html(
      <Layout title="Confirm" viewer={viewer} script={false}>
        <h1>{`${target}?`}</h1>
        <div class="actions">
          <ActionButton
            action={c.req.path}
            label={`Yes, ${action.verb.toLowerCase()}`}
            csrf={viewer.csrf ?? ""}
            fields={deploy ? { deploy } : {}}
            confirmed
          />
          <a href={back}>Cancel</a>
        </div>
      </Layout>,
    );

  const res = await api(
    c.req.path,
    {
      method: "POST",
      headers: { authorization: `Bearer ${c.env.ADMIN_TOKEN ?? ""}`, "content-type": "application/json" },
      body: deploy ? JSON.stringify({ deploy }) : null,
    },
    c.env,
    executionContext(c),
  );
  if (res.ok)
    return c.html(<MessagePage viewer={viewer} title={action.done} message={`${target}: accepted.`} back={back} />);
  const message = await apiError(res);
  return c.html(
    <MessagePage viewer={viewer} title={`${action.verb} failed`} message={message} back={back} error />,
    res.status === 404 ? 404 : res.status >= 500 ? 502 : 400,
  );
}

/** The API's own message: `{"error": {"code", "message"}}`, or the status when the body is not that. */
async function apiError(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return `The API answered ${res.status} ${body.error.code ?? ""}: ${body.error.message}`;
  } catch {
    // Not JSON: fall through.
  }
  return `The API answered ${res.status}: ${text.slice(0, 200)}`;
}

function executionContext(c: Context): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    // app.request() in tests has none.
    return undefined;
  }
}
