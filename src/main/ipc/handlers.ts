import type { z } from 'zod'
import type { Contract, Feature } from '../../shared/ipc/contract'
import type { ChannelSpec } from '../../shared/ipc/define'

type Handler<S> =
  S extends ChannelSpec<infer I, infer O>
    ? (input: z.output<I>) => z.input<O> | Promise<z.input<O>>
    : never

/** A feature's handlers, typed from the contract: a missing or mistyped one does not compile. */
export type FeatureHandlers<F extends Feature> = {
  [M in keyof Contract[F]]: Handler<Contract[F][M]>
}
