import { isolationScenario } from './isolation';

isolationScenario('alpha');
