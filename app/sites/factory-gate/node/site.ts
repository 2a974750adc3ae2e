/** The factory-gate site module, Node half: no back end yet (the door controller and HR system come later). */
import { siteNode } from '../../site-node.ts';
import { factoryGate, factoryGateFlow } from '../common/site.ts';

export const factoryGateNode = siteNode(factoryGate, {
  async wire({ settings }) {
    return { flow: () => factoryGateFlow(settings), close: async () => undefined };
  },
});
