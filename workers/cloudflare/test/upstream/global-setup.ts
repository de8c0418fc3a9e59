import type { TestProject } from "vitest/node";
import { deadUrl, startUpstream } from "./server.ts";

/** Starts the real upstream on 127.0.0.1 for the workerd tests; stops it at teardown. */
export default async function setup(project: TestProject) {
  const upstream = await startUpstream();
  project.provide("upstreamUrl", upstream.url);
  project.provide("deadUrl", await deadUrl());
  return () => upstream.stop();
}
