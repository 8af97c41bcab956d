// Every route the one payment API can take, from each provider's own list.
import type { RouteOffer } from './route-offer.js';
import { azConnectPayRoutes } from './azconnectpay/routes.js';
import { apiNganHangRoutes } from './apinganhang/routes.js';
import { vnKashRoutes } from './vnkash/routes.js';

export const routeOffers: readonly RouteOffer[] = [...azConnectPayRoutes, ...apiNganHangRoutes, ...vnKashRoutes];
export type { RouteOffer, RouteOrder } from './route-offer.js';
