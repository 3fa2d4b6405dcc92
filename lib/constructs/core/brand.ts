import { IConstruct } from "constructs";

/**
 * Brands on construct instances, so tools recognise the library's constructs across two copies
 * of the package (`instanceof` fails when the command and the user's app load different copies,
 * e.g. a checkout's command on an app that installed the package). `Symbol.for` keys live in the
 * process-wide symbol registry, the way cdktf marks stacks and apps (`TerraformStack.isStack`).
 */
export type BrandName = "Ipv6OnlyVpc" | "SiitDcTranslators" | "SiitDcTeam" | "PlatformManifest" | "Ipv6ServerFleet" | "OutboundNat64";

const key = (name: BrandName) => Symbol.for(`cdktf-siit-dc.${name}`);

/** Marks `construct` as a `name`. Called once in the constructor of each branded class. */
export function brand(construct: IConstruct, name: BrandName): void {
  Object.defineProperty(construct, key(name), { value: true, enumerable: false });
}

/** Whether `x` is a construct branded `name` by any copy of the library. */
export function hasBrand<T extends IConstruct>(x: unknown, name: BrandName): x is T {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[key(name)] === true;
}
