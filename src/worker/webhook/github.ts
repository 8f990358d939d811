/** GitHub: `X-GitHub-Event`, `X-GitHub-Delivery`, HMAC-SHA256 in `X-Hub-Signature-256`. */
import type { Provider } from "./delivery";
import { interpretGithubStyle } from "./github-style";

export const github: Provider = {
  name: "github",
  identify(headers) {
    const event = headers.get("X-GitHub-Event");
    if (event === null) return null;
    return {
      provider: "github",
      event,
      deliveryId: headers.get("X-GitHub-Delivery"),
      credential: { kind: "hmac", header: "X-Hub-Signature-256", value: headers.get("X-Hub-Signature-256") },
    };
  },
  interpret: (event, payload) => interpretGithubStyle("GitHub", event, payload),
};
