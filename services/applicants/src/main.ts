import { hello } from "@pace/config"; console.log(hello());
