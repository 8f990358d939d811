/** The page shell: head with the two static files, header with who is signed in, the content. */

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { SCRIPT, STYLE } from "../assets/assets";
import type { Viewer } from "../viewer";

export function Layout(props: { title: string; viewer: Viewer; children?: Child; script?: boolean }) {
  const { viewer } = props;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${props.title} · Tower`}</title>
          <link rel="stylesheet" href={STYLE.path} />
          {props.script === false ? null : <script src={SCRIPT.path} defer />}
        </head>
        <body>
          <header>
            <a class="brand" href="/">
              Tower
            </a>
            <a href="/">Apps</a>
            <span class="who">
              <Who viewer={viewer} />
            </span>
          </header>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

function Who(props: { viewer: Viewer }) {
  const { access, csrf } = props.viewer;
  if (access === "admin" || access === "read")
    return (
      <>
        <span>{access === "admin" ? "admin" : "read-only"}</span>
        <form class="inline" method="post" action="/sign-out">
          <input type="hidden" name="csrf" value={csrf ?? ""} />
          <button type="submit">Sign out</button>
        </form>
      </>
    );
  return (
    <>
      {access === "public" ? <span>public, read-only</span> : null}
      <a href="/sign-in">Sign in</a>
    </>
  );
}

/** A page that says one thing: an error, or an action's result, with a way back. */
export function MessagePage(props: { viewer: Viewer; title: string; message: string; back?: string; error?: boolean }) {
  return (
    <Layout title={props.title} viewer={props.viewer} script={false}>
      <h1>{props.title}</h1>
      <p class={`card ${props.error ? "error" : "notice"}`} role={props.error ? "alert" : "status"}>
        {props.message}
      </p>
      <p>
        <a href={props.back ?? "/"}>Back</a>
      </p>
    </Layout>
  );
}
