console.log("custos");
