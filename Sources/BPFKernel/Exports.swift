@_exported import BPFObject
