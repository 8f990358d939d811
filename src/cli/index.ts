export { localFileTree } from "./local-file-tree";
export { main } from "./main";
