// Types for "bottleneck/light.js", the build of Bottleneck without Redis clustering that
// @octokit/plugin-throttling itself uses: the same API as the full package, which ships the only typings.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
