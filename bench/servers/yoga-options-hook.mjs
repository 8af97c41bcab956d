// A module-loader hook for the benchmarks only: adds options to the createYoga
// call in src/app.ts as it loads, so a yoga setting can be measured on the
// real app before anyone edits app.ts. data = { options: "maxRequestBodySize: false" }.
let extra = '';
export async function initialize(data) {
  extra = data?.options ?? '';
}
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!extra || !/\/src\/app\.ts$/.test(new URL(url).pathname)) return result;
  const source = String(result.source);
  const patched = source.replace(/graphqlEndpoint:\s*(["'])\/graphql\1,/, (match) => `${match} ${extra},`);
  if (patched === source) throw new Error('yoga-options-hook: graphqlEndpoint not found in src/app.ts');
  return { ...result, source: patched };
}
