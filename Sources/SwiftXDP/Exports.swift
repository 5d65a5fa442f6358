@_exported import BPFObject
@_exported import BPFKernel
