// The chapter exercise bank.
