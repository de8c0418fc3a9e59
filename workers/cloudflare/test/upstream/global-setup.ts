import type { TestProject } from "vitest/node";
import { startRawUpstream } from "../../../../packages/edge/test/support/raw-server.ts";
import { startRouteServers } from "./route-servers.ts";
import { deadUrl, startUpstream } from "./server.ts";

/** Starts the real upstreams on 127.0.0.1 for the workerd tests; stops them at teardown. */
export default async function setup(project: TestProject) {
  const upstream = await startUpstream();
  const raw = await startRawUpstream();
  const routes = await startRouteServers();
  project.provide("upstreamUrl", upstream.url);
  project.provide("deadUrl", await deadUrl());
  project.provide("rawUpstreamUrl", raw.url);
  project.provide("routeServerUrls", routes.urls);
  project.provide("filesUpstreamUrl", routes.filesUrl);
  return async () => {
    await Promise.all([upstream.stop(), raw.stop(), routes.stop()]);
  };
}
