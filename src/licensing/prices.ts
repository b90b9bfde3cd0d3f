import type { Prices } from './report';

/** R14 list prices (USD per month). Editable through configuration because contracts differ. */
export const LIST_PRICES: Prices = {
  perAppPass: 5,
  perUserPremium: 20,
  perUserPremiumVolume: 12,
  payAsYouGoPerAppUser: 10,
  currency: 'USD',
};
