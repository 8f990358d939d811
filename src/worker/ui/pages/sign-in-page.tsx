/** `/sign-in`: one field for the API token (read) or the admin token (read and act). */
import type { Viewer } from "../viewer";
import { Layout } from "./layout";

export function SignInPage(props: { viewer: Viewer; next: string; error?: string }) {
  return (
    <Layout title="Sign in" viewer={props.viewer} script={false}>
      <form class="card signin" method="post" action="/sign-in">
        <h1>Sign in to Tower</h1>
        {props.error ? (
          <p class="card error" role="alert">
            {props.error}
          </p>
        ) : null}
        <label for="token">API token or admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <input type="hidden" name="next" value={props.next} />
        <button class="primary" type="submit">
          Sign in
        </button>
      </form>
    </Layout>
  );
}
