// Placeholder entry point: replaced by the device host (issue 5).
return 0;
