// pnpm hooks for this workspace.
//
// beforePacking: the manifest that `pnpm pack` / `pnpm publish` (and so `changeset publish`)
// write into a tarball keeps only what an installed package needs. `scripts` (the workspace's
// `tsc -p tsconfig.build.json`) and `devDependencies` (test tools) mean nothing to a user and
// would only run or be resolved by mistake. `publishConfig` has been applied by then (exports,
// bin → dist); only `access` is left in it, which the registry still reads on publish.
module.exports = {
  hooks: {
    beforePacking(pkg) {
      delete pkg.scripts;
      delete pkg.devDependencies;
      return pkg;
    },
  },
};
