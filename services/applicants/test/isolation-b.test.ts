import { isolationScenario } from './isolation';

isolationScenario('beta');
