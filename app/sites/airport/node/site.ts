/** The airport site module, Node half: no back end yet (the DCS and the bag-tag printer come later). */
import { siteNode } from '../../site-node.ts';
import { airport, airportFlow } from '../common/site.ts';

export const airportNode = siteNode(airport, {
  async wire({ settings }) {
    return { flow: () => airportFlow(settings), close: async () => undefined };
  },
});
